/** The file-opening seam of the write path ({@link dev.tsdb.index.io.FileOps}). */
package dev.tsdb.index.io;
