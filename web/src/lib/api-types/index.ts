/** Short names for the generated API types (the generated files are never edited by hand). */
import type { components as Auth } from "./auth";
import type { components as PassportApi } from "./passport";
import type { components as Records } from "./records";

type R = Records["schemas"];
type A = Auth["schemas"];
type P = PassportApi["schemas"];

export type Pet = R["Pet"];
export type PetDetail = R["PetDetail"];
export type PetCreate = R["PetCreate"];
export type PetUpdate = R["PetUpdate"];
export type Doc = R["Doc"];
export type DocDetail = R["DocDetail"];
export type DocCreate = R["DocCreate"];
export type DocUpdate = R["DocUpdate"];
export type DocCreated = R["DocCreated"];
export type Upload = R["Upload"];
export type Dashboard = R["Dashboard"];
export type AttentionItem = R["AttentionItem"];
export type QuickShow = R["QuickShow"];
export type PhotoUpload = R["PhotoUpload"];
export type PhotoUploadRequest = R["PhotoUploadRequest"];

export type PublicConfig = A["PublicConfig"];
export type Tokens = A["Tokens"];
export type RefreshedTokens = A["RefreshedTokens"];
export type LoginChallenge = A["LoginChallenge"];
export type Me = A["Me"];
export type OwnerSettings = A["OwnerSettings"];

export type Passport = P["Passport"];
export type PassportCreate = P["PassportCreate"];
export type PassportViews = P["PassportViews"];
export type PassportView = P["PassportView"];
