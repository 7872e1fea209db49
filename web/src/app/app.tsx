/** Everything but the door: providers, the shell and the routes (each page its own chunk). */
import { QueryClientProvider } from "@tanstack/react-query";
import { lazy, Suspense, useEffect } from "react";
import { Redirect, Route, Switch, useLocation } from "wouter";
import { PageLoading } from "@/components/spinner";
import { ToastProvider } from "@/components/toast";
import { scheduleDoorSync } from "@/lib/door-sync";
import { queryClient } from "@/lib/query-client";
import { useSession } from "@/lib/use-session";
import { AppShell } from "./shell";
import "./app.css";

const page = lazy;

const Dashboard = page(() => import("@/features/dashboard/components/dashboard-page"));
const NewPet = page(() => import("@/features/pets/components/new-pet-page"));
const PetPage = page(() => import("@/features/pets/components/pet-page"));
const AddRecord = page(() => import("@/features/records/components/add-record-page"));
const RecordPage = page(() => import("@/features/records/components/record-page"));
const Passports = page(() => import("@/features/passports/components/passports-page"));
const PassportPage = page(() => import("@/features/passports/components/passport-page"));
const Settings = page(() => import("@/features/settings/components/settings-page"));
const Login = page(() => import("@/features/auth/components/login-page"));
const SignUp = page(() => import("@/features/auth/components/signup-page"));
const Confirm = page(() => import("@/features/auth/components/confirm-page"));
const Forgot = page(() => import("@/features/auth/components/forgot-page"));
const Reset = page(() => import("@/features/auth/components/reset-page"));
const Goodbye = page(() => import("@/features/auth/components/goodbye-page"));

function Protected({ children }: { children: React.ReactNode }) {
  const session = useSession();
  const [location] = useLocation();
  if (!session) {
    const next = `${location}${window.location.search}`;
    return <Redirect to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  return <AppShell>{children}</AppShell>;
}

function PublicOnly({ children }: { children: React.ReactNode }) {
  const session = useSession();
  if (session) return <Redirect to="/" replace />;
  return <>{children}</>;
}

function useDoorSyncWhileOnline() {
  const session = useSession();
  useEffect(() => {
    if (!session) return;
    scheduleDoorSync(1500);
    const online = () => scheduleDoorSync(200);
    const visible = () => document.visibilityState === "visible" && scheduleDoorSync(500);
    window.addEventListener("online", online);
    document.addEventListener("visibilitychange", visible);
    return () => {
      window.removeEventListener("online", online);
      document.removeEventListener("visibilitychange", visible);
    };
  }, [session?.sub]);
}

export default function App() {
  useDoorSyncWhileOnline();
  const session = useSession();
  useEffect(() => {
    if (!session) queryClient.clear();
  }, [session]);
  return (
    <QueryClientProvider client={queryClient}>
      <ToastProvider>
        <Suspense fallback={<PageLoading />}>
          <Switch>
            <Route path="/login">
              <PublicOnly><Login /></PublicOnly>
            </Route>
            <Route path="/signup">
              <PublicOnly><SignUp /></PublicOnly>
            </Route>
            <Route path="/confirm">
              <PublicOnly><Confirm /></PublicOnly>
            </Route>
            <Route path="/forgot">
              <PublicOnly><Forgot /></PublicOnly>
            </Route>
            <Route path="/reset">
              <PublicOnly><Reset /></PublicOnly>
            </Route>
            <Route path="/goodbye">
              <Goodbye />
            </Route>
            <Route path="/">
              <Protected><Dashboard /></Protected>
            </Route>
            <Route path="/pets/new">
              <Protected><NewPet /></Protected>
            </Route>
            <Route path="/pets/:petId/records/new">
              {(p) => <Protected><AddRecord petId={p.petId} /></Protected>}
            </Route>
            <Route path="/pets/:petId">
              {(p) => <Protected><PetPage petId={p.petId} /></Protected>}
            </Route>
            <Route path="/records/:docId">
              {(p) => <Protected><RecordPage docId={p.docId} /></Protected>}
            </Route>
            <Route path="/passports">
              <Protected><Passports /></Protected>
            </Route>
            <Route path="/passports/:id">
              {(p) => <Protected><PassportPage id={p.id} /></Protected>}
            </Route>
            <Route path="/settings">
              <Protected><Settings /></Protected>
            </Route>
            <Route>
              <AppShell>
                <section className="page">
                  <h1>Page not found</h1>
                  <p>
                    <a href="/">Back to your pets</a>
                  </p>
                </section>
              </AppShell>
            </Route>
          </Switch>
        </Suspense>
      </ToastProvider>
    </QueryClientProvider>
  );
}
