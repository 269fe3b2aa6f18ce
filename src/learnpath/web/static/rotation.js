// The print page's "Print" button (inline handlers are not allowed by the content security policy).
document.addEventListener("click", (event) => {
  const target = event.target instanceof Element ? event.target.closest("[data-print]") : null;
  if (target) {
    window.print();
  }
});
