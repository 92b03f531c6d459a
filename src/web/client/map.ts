// Map of search results (MapLibre GL); the list beside it is the accessible alternative.
export {};
