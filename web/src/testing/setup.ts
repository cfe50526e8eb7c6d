import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach, beforeEach } from 'vitest';
import { resetSession, setSignedOut } from '@/lib/auth-token';

// Lazy routes load their chunk on first use; give slow CI machines room.
configure({ asyncUtilTimeout: 15000 });

// jsdom has <dialog> but not its modal methods.
if (typeof HTMLDialogElement !== 'undefined' && !HTMLDialogElement.prototype.showModal) {
  HTMLDialogElement.prototype.showModal = function showModal(this: HTMLDialogElement) {
    this.setAttribute('open', '');
  };
  HTMLDialogElement.prototype.close = function close(this: HTMLDialogElement) {
    this.removeAttribute('open');
    this.dispatchEvent(new Event('close'));
  };
}

beforeEach(() => {
  window.localStorage.clear();
  window.sessionStorage.clear();
  // Each test starts signed out; one that needs GET /api/user/me resets the session.
  resetSession();
  setSignedOut('expired', false);
});

afterEach(() => {
  cleanup();
});
