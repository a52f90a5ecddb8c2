/** Payload shape version of `notes.update` events (bump with an upcaster in projections/). */
export const NOTE_UPDATE_SCHEMA_VERSION = 1;
