import type { ReactNode } from "react";
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

export function useSearchParam(name: string): string | null {
  return new URLSearchParams(window.location.search).get(name);
}
