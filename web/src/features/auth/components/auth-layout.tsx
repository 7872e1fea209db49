import type { ReactNode } from "react";
import { Link } from "wouter";
import { useTitle } from "@/components/use-title";

export function AuthLayout({ title, children }: { title: string; children: ReactNode }) {
  useTitle(title);
  return (
    <main className="auth" id="main">
      <div className="auth__card">
        <div className="auth__brand">
          <img src="/icons/icon.svg" alt="" width={40} height={40} />
          <span>Petshots</span>
        </div>
        <h1>{title}</h1>
        {children}
      </div>
    </main>
  );
}

/** The way out of the confirm and password-reset forms. */
export function BackToLogIn() {
  return (
    <div className="auth__links">
      <Link href="/login">Back to log in</Link>
    </div>
  );
}

export function useSearchParam(name: string): string | null {
  return new URLSearchParams(window.location.search).get(name);
}
