import actionCache from "@convex-dev/action-cache/convex.config.js";
import actionRetrier from "@convex-dev/action-retrier/convex.config.js";
import rateLimiter from "@convex-dev/rate-limiter/convex.config.js";
import { defineApp } from "convex/server";

const app = defineApp();
app.use(rateLimiter);
app.use(actionRetrier);
app.use(actionCache);
export default app;
