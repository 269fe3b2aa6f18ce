from learnpath.cli import main

main()
