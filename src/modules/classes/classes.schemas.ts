import { z } from "zod";
import { formInt, text, uuid } from "../../web/input";
import { INVITE_DAYS_MAX } from "./codes";

export const classParam = z.object({ id: uuid });
export const memberParams = z.object({ id: uuid, userId: uuid });
export const inviteParams = z.object({ id: uuid, inviteId: uuid });
export const tokenParam = z.object({ token: z.string().max(100) });

export const classForm = z.object({
  name: text(120).trim().min(1, "Give the class a name."),
  description: text(2000).trim().default(""),
});
export const joinForm = z.object({ code: text(40).trim().min(1, "Type the class code your instructor gave you.") });
export const joinQuery = z.object({ code: text(40).optional() });
export const memberForm = z.object({ email: text(320).trim().min(3, "Type the learner's email.") });
export const inviteForm = z.object({ days: formInt(1, INVITE_DAYS_MAX).optional() });
export const deleteForm = z.object({ confirmName: text(120).default("") });
