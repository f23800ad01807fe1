// The public home ships no JavaScript: it is plain prerendered HTML (the larger-text toggle
// runs from the small inline script in app.html).
export const csr = false;
