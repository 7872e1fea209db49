import { Link } from "wouter";
import { AuthLayout } from "./auth-layout";

export default function GoodbyePage() {
  return (
    <AuthLayout title="Your account is deleted">
      <p>
        Your pets, records, files and passport links are gone, and nothing is left on this device.
      </p>
      <Link href="/signup" className="button button--ghost">
        Start again
      </Link>
    </AuthLayout>
  );
}
