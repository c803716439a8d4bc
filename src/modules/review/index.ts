export { reviewService, type ReviewService } from "./review.service";
export { reviewRoutes } from "./review.routes";
