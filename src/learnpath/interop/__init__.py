"""Importers and exporters: data files and other systems' formats in, learnpath objects out."""
