export declare function newestMtime(path: string): Promise<number>;
export declare function isStale(output: string, sources: string[]): Promise<boolean>;
export declare function buildIfStale(output: string, sources: string[], lock: string, build: () => Promise<void>): Promise<boolean>;
