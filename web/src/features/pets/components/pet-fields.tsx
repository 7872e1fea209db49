/** The pet form's fields, shared by "Add a pet" and a pet's "Edit details". */
import { Field, SelectField } from "@/components/field";
import type { PetCreate, PetDetail } from "@/lib/api-types";

/** What the owner is typing: plain strings, "" for a blank optional field. */
export interface PetDraft {
  name: string;
  species: PetCreate["species"];
  breed: string;
  birthDate: string;
}

export function petDraft(pet?: PetDetail): PetDraft {
  return {
    name: pet?.name ?? "",
    species: pet?.species ?? "dog",
    breed: pet?.breed ?? "",
    birthDate: pet?.birth_date ?? "",
  };
}

/** The API's body: trimmed, and null for what was left blank (which clears it on an edit). */
export function petBody(draft: PetDraft): PetCreate {
  return {
    name: draft.name.trim(),
    species: draft.species,
    breed: draft.breed.trim() || null,
    birth_date: draft.birthDate || null,
  };
}

export function PetFields({
  draft,
  onChange,
  markOptional = false,
}: {
  draft: PetDraft;
  onChange: (draft: PetDraft) => void;
  /** Label the optional fields so (a new pet's form, where they start blank). */
  markOptional?: boolean;
}) {
  const optional = markOptional ? " (optional)" : "";
  return (
    <>
      <Field
        label="Name"
        required
        maxLength={60}
        value={draft.name}
        onChange={(e) => onChange({ ...draft, name: e.target.value })}
        autoComplete="off"
      />
      <SelectField
        label="Species"
        value={draft.species}
        onChange={(e) => onChange({ ...draft, species: e.target.value as PetDraft["species"] })}
      >
        <option value="dog">Dog</option>
        <option value="cat">Cat</option>
        <option value="other">Other</option>
      </SelectField>
      <Field
        label={`Breed${optional}`}
        maxLength={80}
        value={draft.breed}
        onChange={(e) => onChange({ ...draft, breed: e.target.value })}
      />
      <Field
        label={`Birth date${optional}`}
        type="date"
        value={draft.birthDate}
        onChange={(e) => onChange({ ...draft, birthDate: e.target.value })}
      />
    </>
  );
}
