/** Settings: reminders and thresholds, time zone, due-soon window, theme, log out, and account
 *  deletion (type the e-mail to confirm). */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useState, type FormEvent } from "react";
import { useLocation } from "wouter";
import { Field, FormError, SelectField } from "@/components/field";
import { useTitle } from "@/components/use-title";
import { errorMessage } from "@/lib/api-client";
import type { OwnerSettings } from "@/lib/api-types";
import { browserTimeZone } from "@/lib/dates";
import { scheduleDoorSync } from "@/lib/door-sync";
import { useSession } from "@/lib/use-session";
import { deleteAccount, logOut, wipeDevice } from "@/features/auth/api/auth";
import { meQuery, saveSettings, settingsQuery } from "../api/settings";
import { applyTheme, readTheme, type Theme } from "../theme";

const THRESHOLD_CHOICES = [90, 60, 30, 14, 7, 3, 1, 0];

function timeZones(current: string): string[] {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (k: string) => string[] };
  const all = intl.supportedValuesOf?.("timeZone") ?? [];
  const set = new Set(["UTC", ...all, current, browserTimeZone()]);
  return [...set].sort();
}

function ReminderSettings({ initial }: { initial: OwnerSettings }) {
  const [s, setS] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const qc = useQueryClient();
  const zones = useMemo(() => timeZones(initial.timezone), [initial.timezone]);
  const browserZone = browserTimeZone();

  function toggle(day: number, on: boolean) {
    const next = on
      ? [...new Set([...s.reminder_thresholds_days, day])]
      : s.reminder_thresholds_days.filter((d) => d !== day);
    setS({ ...s, reminder_thresholds_days: next.sort((a, b) => b - a) });
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setSaved(false);
    if (s.reminders_enabled && s.reminder_thresholds_days.length === 0) {
      return setError("Choose at least one reminder, or turn reminders off.");
    }
    if (s.reminder_thresholds_days.length > 6) return setError("Choose at most 6 reminders.");
    setBusy(true);
    try {
      const next = await saveSettings(s);
      qc.setQueryData(settingsQuery().queryKey, next);
      void qc.invalidateQueries({ queryKey: ["dashboard"] });
      scheduleDoorSync(0);
      setSaved(true);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card stack" onSubmit={submit} aria-labelledby="reminders-title">
      <h2 id="reminders-title">Reminders</h2>
      <label className="check">
        <input
          type="checkbox"
          checked={s.reminders_enabled}
          onChange={(e) => setS({ ...s, reminders_enabled: e.target.checked })}
        />
        E-mail me before a vaccination expires
      </label>
      <fieldset className="fieldset" disabled={!s.reminders_enabled}>
        <legend>Remind me</legend>
        <div className="chips">
          {THRESHOLD_CHOICES.map((d) => (
            <label key={d} className="chip">
              <input
                type="checkbox"
                checked={s.reminder_thresholds_days.includes(d)}
                onChange={(e) => toggle(d, e.target.checked)}
              />
              <span>{d === 0 ? "On the day" : `${d} days before`}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <SelectField
        label="Time zone"
        value={s.timezone}
        onChange={(e) => setS({ ...s, timezone: e.target.value })}
        hint={s.timezone !== browserZone ? `This device is in ${browserZone}.` : "Matches this device."}
      >
        {zones.map((z) => (
          <option key={z} value={z}>
            {z.replace(/_/g, " ")}
          </option>
        ))}
      </SelectField>
      <Field
        label="“Due soon” starts this many days before expiry"
        type="number"
        min={0}
        max={365}
        inputMode="numeric"
        value={String(s.due_soon_days)}
        onChange={(e) => setS({ ...s, due_soon_days: Math.max(0, Math.min(365, Number(e.target.value) || 0)) })}
      />
      <FormError message={error} />
      {saved && <p role="status">Saved.</p>}
      <button type="submit" className="button" disabled={busy}>
        {busy ? "Saving…" : "Save settings"}
      </button>
    </form>
  );
}

function ThemeSetting() {
  const [theme, setTheme] = useState<Theme>(readTheme());
  useEffect(() => applyTheme(theme), [theme]);
  return (
    <fieldset className="card fieldset">
      <legend>
        <h2>Appearance</h2>
      </legend>
      <div className="chips">
        {(["system", "light", "dark"] as const).map((t) => (
          <label key={t} className="chip">
            <input type="radio" name="theme" checked={theme === t} onChange={() => setTheme(t)} />
            <span>{t === "system" ? "Like this device" : t === "light" ? "Light" : "Dark"}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function DeleteAccount({ email }: { email: string | null }) {
  const [typed, setTyped] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [, navigate] = useLocation();
  const matches = !!email && typed.trim().toLowerCase() === email.toLowerCase();

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!matches) return;
    setBusy(true);
    setError(null);
    try {
      await deleteAccount();
      await wipeDevice();
      navigate("/goodbye", { replace: true });
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  }

  return (
    <form className="card stack danger-zone" onSubmit={submit} aria-labelledby="delete-title">
      <h2 id="delete-title">Delete account</h2>
      <p>
        This deletes your account, every pet, record and file, and every passport link. It can't be undone.
      </p>
      <Field
        label={`Type your e-mail${email ? ` (${email})` : ""} to confirm`}
        type="email"
        autoComplete="off"
        value={typed}
        onChange={(e) => setTyped(e.target.value)}
      />
      <FormError message={error} />
      <button type="submit" className="button button--danger" disabled={!matches || busy}>
        {busy ? "Deleting…" : "Delete my account"}
      </button>
    </form>
  );
}

export default function SettingsPage() {
  useTitle("Settings");
  const settings = useQuery(settingsQuery());
  const me = useQuery(meQuery());
  const session = useSession();
  const [, navigate] = useLocation();
  const [leaving, setLeaving] = useState(false);
  const email = me.data?.email ?? session?.email ?? null;

  return (
    <section className="page page--narrow">
      <h1>Settings</h1>
      {email && <p className="muted">Logged in as {email}</p>}
      {settings.data ? (
        <ReminderSettings initial={settings.data} />
      ) : settings.error ? (
        <p className="form-error" role="alert">{errorMessage(settings.error)}</p>
      ) : (
        <p className="muted">Loading…</p>
      )}
      <ThemeSetting />
      <div className="card stack">
        <h2>This device</h2>
        <p className="muted">
          Quick Show keeps your certificates on this device so they open without a signal. Logging out removes
          them.
        </p>
        <button
          type="button"
          className="button button--ghost"
          disabled={leaving}
          onClick={async () => {
            setLeaving(true);
            await logOut();
            navigate("/login", { replace: true });
          }}
        >
          Log out
        </button>
      </div>
      <DeleteAccount email={email} />
    </section>
  );
}
