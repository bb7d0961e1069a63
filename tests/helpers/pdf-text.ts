// The text of a PDF as a reader would copy it: shared with the maintenance scripts (the watch soak).
export * from '../../scripts/maintenance/pdf-text.js';
