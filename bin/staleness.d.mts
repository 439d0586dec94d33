export declare function newestMtime(path: string): Promise<number>;
export declare function isStale(output: string, sources: string[]): Promise<boolean>;
