// The newsletter sign-up, as on the seed page. The server checks the
// address and the consent; its messages are shown as they are, next to the
// field they are about.

import { ApiError, gql } from './api.js';
import { h } from './dom.js';

const SUBSCRIBE = `mutation Subscribe($email: String!, $consent: Boolean!) {
  subscribeNewsletter(email: $email, consent: $consent) { email }
}`;

let forms = 0;

/** A sign-up form; each call makes one with its own ids. */
export function newsletterForm() {
  const id = `newsletter-${++forms}`;
  const email = h('input', { type: 'email', id: `${id}-email`, name: 'email', autocomplete: 'email', inputmode: 'email', 'aria-describedby': `${id}-email-error` });
  const consent = h('input', { type: 'checkbox', id: `${id}-consent`, name: 'consent', 'aria-describedby': `${id}-consent-error` });
  const emailError = h('p', { class: 'field-error', id: `${id}-email-error` });
  const consentError = h('p', { class: 'field-error', id: `${id}-consent-error` });
  const formError = h('p', { class: 'field-error', role: 'alert' });
  const status = h('p', { class: 'form-status', role: 'status' });
  const submit = h('button', { type: 'submit', class: 'button primary' }, 'Subscribe');

  // The form is checked by the server, so the browser's own checks are off.
  const form = h('form', { class: 'newsletter', novalidate: true },
    h('p', null, 'Once a month: new roles, changes in the field, and the best learning resources we found.'),
    h('div', { class: 'field' }, h('label', { for: email.id }, 'Email address'), email, emailError),
    h('div', { class: 'field checkbox' }, consent,
      h('label', { for: consent.id }, 'Yes, send me the monthly newsletter. I can unsubscribe at any time.'), consentError),
    formError,
    h('p', null, submit),
    status);

  const showError = (input, slot, message) => {
    slot.textContent = message || '';
    if (message) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    showError(email, emailError, '');
    showError(consent, consentError, '');
    formError.textContent = '';
    submit.disabled = true;
    status.textContent = 'Signing you up…';
    try {
      const data = await gql(SUBSCRIBE, { email: email.value, consent: consent.checked });
      form.replaceChildren(h('p', { class: 'success', role: 'status', tabindex: '-1' },
        `Thank you! ${data.subscribeNewsletter.email} will get the next newsletter.`));
      form.firstChild.focus();
    } catch (err) {
      status.textContent = '';
      submit.disabled = false;
      const message = err instanceof ApiError ? err.message : 'We could not sign you up. Please try again.';
      const emailMessage = err instanceof ApiError && err.fieldMessage('email');
      const consentMessage = err instanceof ApiError && err.fieldMessage('consent');
      if (emailMessage) showError(email, emailError, emailMessage);
      if (consentMessage) showError(consent, consentError, consentMessage);
      if (!emailMessage && !consentMessage) formError.textContent = message;
      (emailMessage ? email : consentMessage ? consent : submit).focus();
    }
  });
  return form;
}
