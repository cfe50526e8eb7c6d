import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderAt } from '@/testing/render';

describe('routes', () => {
  it('shows the landing page with the waitlist', async () => {
    renderAt('/');
    expect(await screen.findByRole('heading', { level: 1, name: /Is your engagement growing/ })).toBeInTheDocument();
    expect(screen.getByRole('form', { name: 'Join the waitlist' })).toBeInTheDocument();
  });

  it('shows a not-found page for unknown paths', async () => {
    renderAt('/nope/here');
    expect(await screen.findByRole('heading', { name: 'This page does not exist' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Go to the home page' })).toHaveAttribute('href', '/');
  });
});
