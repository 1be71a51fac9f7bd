/** Unseal's version from package.json, replaced at build time (vite.config.ts `define`). */
declare const __APP_VERSION__: string;

/**
 * File System Access API parts that Chromium has and TypeScript's libs do not (WICG
 * file-system-access): permissions of a kept handle, and the directory picker. Optional, because
 * other browsers lack them.
 */
interface FileSystemHandlePermissionDescriptor {
  mode?: 'read' | 'readwrite';
}
interface FileSystemHandle {
  queryPermission?(descriptor?: FileSystemHandlePermissionDescriptor): Promise<PermissionState>;
  /** Needs a user activation (call it from a click). */
  requestPermission?(descriptor?: FileSystemHandlePermissionDescriptor): Promise<PermissionState>;
}
interface Window {
  showDirectoryPicker?(options?: { id?: string; mode?: 'read' | 'readwrite' }): Promise<FileSystemDirectoryHandle>;
}
