/** The owner's frame: brand, navigation (bottom bar on phones, top on desktop), offline note. */
import { Suspense, useEffect, useState, type ReactNode } from "react";
import { Link, useLocation } from "wouter";
import { GearIcon, HomeIcon, OfflineIcon, QrIcon } from "@/components/icons";
import { PageLoading } from "@/components/spinner";

function useOnline(): boolean {
  const [online, setOnline] = useState(navigator.onLine);
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener("online", on);
    window.addEventListener("offline", off);
    return () => {
      window.removeEventListener("online", on);
      window.removeEventListener("offline", off);
    };
  }, []);
  return online;
}

const NAV = [
  { href: "/", label: "Pets", icon: HomeIcon, match: (l: string) => l === "/" || l.startsWith("/pets") || l.startsWith("/records") },
  { href: "/passports", label: "Passports", icon: QrIcon, match: (l: string) => l.startsWith("/passports") },
  { href: "/settings", label: "Settings", icon: GearIcon, match: (l: string) => l.startsWith("/settings") },
];

export function AppShell({ children }: { children: ReactNode }) {
  const [location] = useLocation();
  const online = useOnline();
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="shell__top">
        <Link href="/" className="brand" aria-label="Petshots home">
          <img src="/icons/icon.svg" alt="" width={32} height={32} />
          <span>Petshots</span>
        </Link>
        <nav className="shell__nav" aria-label="Main">
          {NAV.map(({ href, label, icon: Icon, match }) => (
            <Link key={href} href={href} className="shell__nav-link" aria-current={match(location) ? "page" : undefined}>
              <Icon size={22} />
              <span>{label}</span>
            </Link>
          ))}
        </nav>
      </header>
      {!online && (
        <p className="offline-note" role="status">
          <OfflineIcon size={18} /> You're offline. Quick Show still works; changes need a connection.
        </p>
      )}
      <main id="main" className="shell__main" tabIndex={-1}>
        <Suspense fallback={<PageLoading />}>{children}</Suspense>
      </main>
    </div>
  );
}
