// Small enhancements for every page; each page works without them.
import './autosave.ts';

// « Imprimer » links (printable orientation results): the browser's print dialog.
for (const link of document.querySelectorAll<HTMLElement>('[data-print]')) {
  link.hidden = false;
  link.addEventListener('click', (event) => {
    event.preventDefault();
    window.print();
  });
}
