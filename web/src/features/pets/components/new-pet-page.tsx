import { useState, type FormEvent } from "react";
import { Link, useLocation } from "wouter";
import { FormError } from "@/components/field";
import { useTitle } from "@/components/use-title";
import { errorMessage } from "@/lib/api-client";
import { useCreatePet } from "../api/pets";
import { petBody, petDraft, PetFields } from "./pet-fields";

export default function NewPetPage() {
  useTitle("Add a pet");
  const [draft, setDraft] = useState(() => petDraft());
  const [error, setError] = useState<string | null>(null);
  const create = useCreatePet();
  const [, navigate] = useLocation();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (!draft.name.trim()) return setError("Please give your pet a name.");
    try {
      const pet = await create.mutateAsync(petBody(draft));
      navigate(`/pets/${pet.id}`, { replace: true });
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <section className="page page--narrow">
      <Link href="/" className="back-link">
        ← Your pets
      </Link>
      <h1>Add a pet</h1>
      <form className="stack card" onSubmit={submit} noValidate>
        <PetFields draft={draft} onChange={setDraft} markOptional />
        <FormError message={error} />
        <button type="submit" className="button" disabled={create.isPending}>
          {create.isPending ? "Adding…" : "Add pet"}
        </button>
      </form>
    </section>
  );
}
