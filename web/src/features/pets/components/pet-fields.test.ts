import { describe, expect, it } from "vitest";
import type { PetDetail } from "@/lib/api-types";
import { petBody, petDraft } from "./pet-fields";

describe("pet form", () => {
  it("starts blank for a new pet and from the pet's details for an edit", () => {
    expect(petDraft()).toEqual({ name: "", species: "dog", breed: "", birthDate: "" });
    const pet = { name: "Mia", species: "cat", breed: null, birth_date: "2020-05-01" } as PetDetail;
    expect(petDraft(pet)).toEqual({ name: "Mia", species: "cat", breed: "", birthDate: "2020-05-01" });
  });

  it("sends trimmed text, and null for what was left blank", () => {
    expect(petBody({ name: "  Rex ", species: "dog", breed: "  ", birthDate: "" })).toEqual({
      name: "Rex",
      species: "dog",
      breed: null,
      birth_date: null,
    });
    expect(petBody({ name: "Rex", species: "other", breed: " Collie ", birthDate: "2021-02-03" })).toEqual({
      name: "Rex",
      species: "other",
      breed: "Collie",
      birth_date: "2021-02-03",
    });
  });
});
