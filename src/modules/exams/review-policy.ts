// When keys and explanations may be shown for a submitted attempt (pure).
export function mayReview(exam: { reviewPolicy: string; closesAt: Date | null }, now: Date): boolean {
  if (exam.reviewPolicy === "after_submit") return true;
  if (exam.reviewPolicy === "after_close") return exam.closesAt !== null && exam.closesAt <= now;
  return false;
}
