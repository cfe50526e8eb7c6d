import { lazy } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { Layout } from '@/app/layout';

const LandingPage = lazy(() => import('@/app/routes/landing'));
const LoginPage = lazy(() => import('@/app/routes/login'));
const RegisterPage = lazy(() => import('@/app/routes/register'));
const DashboardPage = lazy(() => import('@/app/routes/dashboard'));
const PostPage = lazy(() => import('@/app/routes/post'));
const AdminPage = lazy(() => import('@/app/routes/admin'));
const SettingsPage = lazy(() => import('@/app/routes/settings'));
const ForgotPasswordPage = lazy(() => import('@/app/routes/forgot-password'));
const ResetPasswordPage = lazy(() => import('@/app/routes/reset-password'));
const VerifyEmailPage = lazy(() => import('@/app/routes/verify-email'));
const NotFoundPage = lazy(() => import('@/app/routes/not-found'));
const PublicReportPage = lazy(() => import('@/app/routes/public-report'));

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
        <Route path="posts/:id" element={<PostPage />} />
        <Route path="admin" element={<AdminPage />} />
        <Route path="settings" element={<SettingsPage />} />
        <Route path="forgot-password" element={<ForgotPasswordPage />} />
        <Route path="reset-password" element={<ResetPasswordPage />} />
        <Route path="verify-email" element={<VerifyEmailPage />} />
        <Route path="r/:token" element={<PublicReportPage />} />
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
