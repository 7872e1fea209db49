import { useState, type FormEvent } from "react";
import { Link, useLocation } from "wouter";
import { Field, FormError, SelectField } from "@/components/field";
import { useTitle } from "@/components/use-title";
import { errorMessage } from "@/lib/api-client";
import { useCreatePet } from "../api/pets";

export default function NewPetPage() {
  useTitle("Add a pet");
  const [name, setName] = useState("");
  const [species, setSpecies] = useState<"dog" | "cat" | "other">("dog");
  const [breed, setBreed] = useState("");
  const [birthDate, setBirthDate] = useState("");
  const [error, setError] = useState<string | null>(null);
  const create = useCreatePet();
  const [, navigate] = useLocation();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (!name.trim()) return setError("Please give your pet a name.");
    try {
      const pet = await create.mutateAsync({
        name: name.trim(),
        species,
        breed: breed.trim() || null,
        birth_date: birthDate || null,
      });
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
        <Field label="Name" required maxLength={60} value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" />
        <SelectField label="Species" value={species} onChange={(e) => setSpecies(e.target.value as typeof species)}>
          <option value="dog">Dog</option>
          <option value="cat">Cat</option>
          <option value="other">Other</option>
        </SelectField>
        <Field label="Breed (optional)" maxLength={80} value={breed} onChange={(e) => setBreed(e.target.value)} />
        <Field label="Birth date (optional)" type="date" value={birthDate} onChange={(e) => setBirthDate(e.target.value)} />
        <FormError message={error} />
        <button type="submit" className="button" disabled={create.isPending}>
          {create.isPending ? "Adding…" : "Add pet"}
        </button>
      </form>
    </section>
  );
}
