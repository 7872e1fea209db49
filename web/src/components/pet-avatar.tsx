/** A pet's portrait ringed in its status colour (SPEC §3.1); initials when there is no photo. */
import { useEffect, useState } from "react";
import { readFile } from "@/lib/door-store";
import type { Status } from "@/lib/status";

export function PetAvatar({
  petId,
  name,
  photoUrl,
  status,
  size = 96,
}: {
  petId: string;
  name: string;
  photoUrl: string | null;
  status: Status;
  size?: number;
}) {
  const [src, setSrc] = useState<string | null>(photoUrl);
  const [failed, setFailed] = useState(false);

  // The saved copy when the signed URL can't be used (offline, or it expired).
  useEffect(() => {
    setFailed(false);
    setSrc(photoUrl);
  }, [photoUrl]);
  useEffect(() => {
    if (!failed && src) return;
    let url: string | null = null;
    let cancelled = false;
    void readFile(`photo:${petId}`)
      .then((f) => {
        if (cancelled || !f?.blob) return;
        url = URL.createObjectURL(f.blob);
        setSrc(url);
        setFailed(false);
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
      if (url) URL.revokeObjectURL(url);
    };
  }, [failed, src, petId]);

  const initials = name
    .split(/\s+/)
    .map((w) => w[0])
    .join("")
    .slice(0, 2)
    .toUpperCase();
  return (
    <span
      className={`avatar avatar--${status}`}
      style={{ width: size, height: size }}
      data-status={status}
    >
      {src && !failed ? (
        <img src={src} alt="" width={size} height={size} onError={() => setFailed(true)} />
      ) : (
        <span className="avatar__initials" aria-hidden="true" style={{ fontSize: size / 2.8 }}>
          {initials}
        </span>
      )}
    </span>
  );
}
