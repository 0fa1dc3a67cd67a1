import type { FileDocument } from "globus-app";
import type { ReactNode } from "react";

/** The props of {@link FileTable}. */
export interface FileTableProps {
  /** What the table is of, e.g. "Files in Emulator Tutorial Collection 1" (its caption). */
  caption: string;
  files: readonly FileDocument[];
}

const UNITS = ["B", "KB", "MB", "GB", "TB"];

function formatSize(bytes: number): string {
  let size = bytes;
  let unit = 0;
  while (size >= 1000 && unit < UNITS.length - 1) {
    size /= 1000;
    unit += 1;
  }
  return `${unit === 0 ? size : size.toFixed(1)} ${UNITS[unit]}`;
}

/**
 * A listing (`transfer.operationLs(…).DATA`) as a table: name (folders end in `/`), type, size,
 * last modified.
 *
 * @example
 * ```tsx
 * const { DATA } = await transfer.operationLs(collectionId);
 * <FileTable caption="Files in my collection" files={DATA} />
 * ```
 */
export function FileTable({ caption, files }: FileTableProps): ReactNode {
  if (files.length === 0) return <p>The folder is empty.</p>;
  return (
    <div className="table-scroll">
      <table id="listing">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Type</th>
            <th scope="col">Size</th>
            <th scope="col">Modified</th>
          </tr>
        </thead>
        <tbody>
          {files.map((file) => (
            <tr key={file.name}>
              <th scope="row">{file.type === "dir" ? `${file.name}/` : file.name}</th>
              <td>{file.type}</td>
              <td>{file.type === "file" ? formatSize(file.size) : ""}</td>
              <td>{file.last_modified}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
