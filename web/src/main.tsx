/** Entry: the door (Quick Show) is part of the first bundle and renders without the rest of
 *  the app; everything else loads as a separate chunk (SPEC §1: proof on screen in seconds). */
import { lazy, StrictMode, Suspense, useEffect } from "react";
import { createRoot } from "react-dom/client";
import { Redirect, Route, Switch, useLocation } from "wouter";
import { DoorView } from "@/features/quick-show/components/door-view";
import { setSessionExpiredHandler } from "@/lib/api-client";
import { clearDoor } from "@/lib/door-store";
import { subscribeSession } from "@/lib/session";
import { afterFirstScreen, registerServiceWorker } from "@/lib/sw-register";
import { useSession } from "@/lib/use-session";
import "@/styles/base.css";
import "@/styles/door.css";

const App = lazy(() => import("@/app/app"));

const DOOR_PATH = /^\/show(\/[^/]+)?\/?$/;

function loginHref(): string {
  const here = `${location.pathname}${location.search}`;
  return `/login?next=${encodeURIComponent(here)}`;
}

function DoorRoute({ petId }: { petId: string | null }) {
  const session = useSession();
  if (!session) return <Redirect to={loginHref()} replace />;
  return <DoorView petId={petId} />;
}

function SessionEnded() {
  const [, navigate] = useLocation();
  useEffect(() => {
    setSessionExpiredHandler(() => {
      if (!location.pathname.startsWith("/login")) navigate(loginHref(), { replace: true });
    });
  }, [navigate]);
  return null;
}

function Root() {
  return (
    <>
      <SessionEnded />
      <Switch>
        <Route path="/show/:petId?">
          {(params) => <DoorRoute petId={params.petId ?? null} />}
        </Route>
        <Route>
          <Suspense fallback={<div className="splash" role="status">Loading Petshots…</div>}>
            <App />
          </Suspense>
        </Route>
      </Switch>
    </>
  );
}

// A session that ends (logout here or in another tab, or a refresh token the server refused)
// takes the door's saved certificates with it.
let hadSession = false;
subscribeSession((session) => {
  if (hadSession && !session) void clearDoor();
  hadSession = !!session;
});
hadSession = !!localStorage.getItem("petshots.session");

const isDoor = DOOR_PATH.test(location.pathname);
createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
registerServiceWorker(isDoor);
if (isDoor) {
  // Warm the rest of the app after the door is up, so closing Quick Show is instant.
  afterFirstScreen(true, () => void import("@/app/app"));
}
