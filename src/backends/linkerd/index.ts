// The Linkerd backend: export list.
export { Linkerd } from './linkerd';
export type { LinkerdProps } from './linkerd';
