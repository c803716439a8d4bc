// Multipart parsing for bank uploads, mounted before the CSRF check so the token field of
// the form is readable; only signed-in instructors and admins reach it.
import multer from "multer";
import type { ErrorRequestHandler, RequestHandler } from "express";
import { Invalid } from "../../errors";
import { canOnBank } from "../banks";

export function uploadParser(maxBytes: number): (RequestHandler | ErrorRequestHandler)[] {
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 64 * 1024 },
  });
  const onlyTeachers: RequestHandler = (req, res, next) => {
    if (req.user && canOnBank(req.user, "upload")) return next();
    res.status(req.user ? 403 : 401);
    next(
      Object.assign(new Error(req.user ? "Only instructors and admins can upload banks." : "Sign in first."), {
        status: req.user ? 403 : 401,
        expose: true,
      }),
    );
  };
  const tooLarge: ErrorRequestHandler = (error: unknown, _req, _res, next) => {
    if ((error as { code?: string }).code === "LIMIT_FILE_SIZE")
      return next(new Invalid(`The file is larger than the limit of ${maxBytes} bytes.`));
    next(error);
  };
  return [onlyTeachers, upload.single("file"), tooLarge];
}
