// SPDX-License-Identifier: MIT

// Package npz reads and writes numpy .npz archives: a zip file whose entries
// are .npy arrays, one per name. It is the container layer under nn4n's model
// files; it knows nothing about models and only moves named arrays and named
// text entries in and out of a file that numpy.load can read with no nn4n
// installed.
//
// # Arrays
//
// An [Array] is a shape and its float64 elements in C (row-major) order. A 0-d
// array has an empty Shape and exactly one element; an array with a zero
// dimension has no elements. [Write] stores every array as little-endian
// float64 ('<f8'), C order. [Read] also accepts arrays written by numpy users
// in other numeric dtypes ('<f4', '<i8', '<i4' and more, listed below) and
// converts them to float64. Integers beyond ±2⁵³ lose precision in the
// conversion. Arrays stored with fortran_order True (numpy writes those for
// Fortran-contiguous arrays) are transposed into C order on reading, so Shape
// and Data always mean the same thing whatever layout numpy chose.
//
// Dtypes accepted by Read, in either byte order ('<' or '>', '|' for one-byte
// types): f8, f4, i8, i4, i2, i1, u8, u4, u2, u1 and b1 (bool, read as 0 or 1).
// Structured, complex, object (pickled) and datetime dtypes are rejected.
// Non-finite values (NaN, ±Inf) are preserved bit for bit at this layer; the
// layer above decides whether they are acceptable.
//
// # Text entries
//
// A text entry (nn4n's JSON config) is stored as a 0-d numpy unicode array,
// dtype '<U<n>' where n is the number of code points, in UTF-32LE. This is
// exactly what np.savez(f, config=json_string) writes, so
//
//	cfg = json.loads(str(np.load(f)["config"]))
//
// works with a plain numpy.load (no allow_pickle), the value prints as the
// string itself in a Python session, and an .npz assembled by hand in Python
// with a str config is read back as text by [Read]. A 1-d uint8 array of
// UTF-8 bytes would be four times smaller but prints as a list of numbers and
// needs bytes(...).decode() to be useful; config entries are a few hundred
// bytes, so readability wins. numpy drops trailing NUL code points of a
// unicode array, so [Write] rejects a text ending in NUL, and text must be
// valid UTF-8. Read also accepts a 0-d byte string ('|S<n>') holding UTF-8 as
// text. Any other dtype is an array.
//
// # Files
//
// Entries are named name+".npy" and written in sorted name order with the
// Store method and a fixed timestamp (1980-01-01 00:00), so the same arrays
// and texts always give a byte-identical file; each .npy entry is byte for
// byte what numpy.save writes for the same array (format version 1.0, header
// padded to 64 bytes; checked against numpy 2.4). Names are 1 to 200 bytes of ASCII letters, digits,
// '_', '-' and '.', not starting with '.'; an array and a text may not share
// a name.
//
// Write is atomic: it writes a temporary file in the destination directory,
// fsyncs it, renames it over the destination and fsyncs the directory, so an
// interrupted or failed Write leaves any previous file intact.
//
// # Validation
//
// [Read] and [ReadBytes] check the zip structure and every CRC, the .npy
// magic and version (1.0, 2.0 and 3.0), the header dictionary (exactly the
// keys descr, fortran_order and shape, in numpy's literal syntax), that the
// data length equals the product of the shape times the item size, that no
// name appears twice, and that sizes are sane before anything is allocated:
// headers are at most 65536 bytes, arrays have at most 64 dimensions and
// 1<<31 elements, texts at most 1<<24 code points, and an entry may not claim
// more uncompressed bytes than its compressed data can hold. Entries that are
// not .npy files are rejected. The decoded archive may take at most
// DefaultMaxBytes (4 GiB); [ReadWith] sets a lower bound, a compression ratio
// limit for deflated entries, and a filter that sees each entry's name and
// shape before its data is read (nn4n's model loader refuses any entry the
// file's config does not call for, so a zip bomb is never inflated). Object
// (pickle) dtypes are always refused. Errors name the entry and say what is wrong,
// for example
//
//	npz: w_rec.npy: data has 384 bytes, shape (7, 7) of <f8 needs 392
package npz
