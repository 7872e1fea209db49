/** The busy indicator: a spinner that screen readers skip, and the words they read instead. */
export function Spinner({ label }: { label: string }) {
  return (
    <>
      <span className="spinner" aria-hidden="true" />
      <span className="visually-hidden">{label}</span>
    </>
  );
}

/** A whole page (or a page's main content) still loading. */
export function PageLoading({ label = "Loading…" }: { label?: string }) {
  return (
    <div className="page-loading" role="status">
      <Spinner label={label} />
    </div>
  );
}
