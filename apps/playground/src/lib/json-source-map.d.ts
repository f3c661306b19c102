declare module 'json-source-map' {
  const jsonMap: {
    parse(text: string): { data: unknown; pointers: Record<string, never> };
    stringify(
      value: unknown,
      replacer?: unknown,
      space?: number | string,
    ): { json: string; pointers: Record<string, never> };
  };
  export default jsonMap;
}
