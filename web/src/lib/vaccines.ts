/** Vaccine labels: the picker's list and the matching rules of petshots_core.vaccines. */

export const LABEL_CHOICES = [
  "Rabies",
  "DHPP",
  "Bordetella",
  "Leptospirosis",
  "Lyme",
  "Canine Influenza",
  "FVRCP",
  "FeLV",
] as const;

const RABIES_SPELLINGS = new Set(["rabies", "rabiesvaccine", "rabies1yr", "rabies3yr", "rv"]);

export function normaliseLabel(label: string): string {
  return label.toLowerCase().replace(/[^a-z0-9]+/g, "");
}

export function isRabies(label: string): boolean {
  return RABIES_SPELLINGS.has(normaliseLabel(label));
}
