export { reviewService, type ReviewService } from "./review.service";
export { reviewRoutes } from "./review.routes";
export { CARD_KEY_PATTERN } from "./card-key";
