/**
 * What a page component reads from extension storage, handed in by its entrypoint (which wires
 * the platform's storage items). Components never import platform/ (biome.json enforces it).
 */
export type Stored<T> = {
  getValue(): Promise<T>;
  watch(callback: (value: T) => void): () => void;
};
