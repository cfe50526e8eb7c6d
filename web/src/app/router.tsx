import { lazy } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { Layout } from '@/app/layout';

const LandingPage = lazy(() => import('@/app/routes/landing'));
const LoginPage = lazy(() => import('@/app/routes/login'));
const RegisterPage = lazy(() => import('@/app/routes/register'));
const DashboardPage = lazy(() => import('@/app/routes/dashboard'));
const AdminPage = lazy(() => import('@/app/routes/admin'));
const NotFoundPage = lazy(() => import('@/app/routes/not-found'));

/**
 * AppRoutes is the route table; every page is its own lazily loaded chunk. Declarative
 * routes keep the data-router runtime out of the initial bundle.
 */
export function AppRoutes() {
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<LandingPage />} />
        <Route path="login" element={<LoginPage />} />
        <Route path="register" element={<RegisterPage />} />
        <Route path="dashboard" element={<DashboardPage />} />
        <Route path="admin" element={<AdminPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

/** AppRouter renders the routes inside the browser history router. */
export function AppRouter() {
  return (
    <BrowserRouter>
      <AppRoutes />
    </BrowserRouter>
  );
}
