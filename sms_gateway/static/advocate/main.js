// Waypoint advocate console: ES modules, no build step, no third-party code, nothing eval'd.
// Each module does one job and reacts to the session's moments (signals.js); this one loads
// them all, then opens the page on the current session or the sign-in form.
import { start } from "./signin.js";  // first: its views come before the others' parts
import "./account.js";
import "./keys.js";
import "./quick.js";
import "./recent.js";
import "./reply.js";
import "./stream.js";

start();
