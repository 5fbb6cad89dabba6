/** The nonce the server put in this page (its Content-Security-Policy allows the <style> elements that carry it); undefined in a page without one. */
export const cspNonce: string | undefined = document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content || undefined;
