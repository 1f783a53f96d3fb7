// The CPython C API for the PythonBridge target (trait PythonHarness only).
//
// <features.h> must come first: Python's pyconfig.h defines _GNU_SOURCE,
// _XOPEN_SOURCE 700, ..., which would otherwise give glibc's fd_set a layout in
// this clang module different from the one Foundation/Dispatch see, and every
// file importing both fails to compile ("__fds_bits ... is not present in
// definition of 'fd_set' in module 'CPython'").
#include <features.h>
#define PY_SSIZE_T_CLEAN
#include <Python.h>

// Macros Swift cannot import, as functions.
static inline PyObject *hinge_py_none(void) { return Py_None; }
static inline int hinge_py_is_none(PyObject *o) { return o == Py_None; }
static inline int hinge_py_is_bool(PyObject *o) { return PyBool_Check(o); }
static inline int hinge_py_is_int(PyObject *o) { return PyLong_Check(o); }
static inline int hinge_py_is_float(PyObject *o) { return PyFloat_Check(o); }
static inline int hinge_py_is_str(PyObject *o) { return PyUnicode_Check(o); }
static inline int hinge_py_is_list(PyObject *o) { return PyList_Check(o); }
static inline int hinge_py_is_tuple(PyObject *o) { return PyTuple_Check(o); }
static inline int hinge_py_is_dict(PyObject *o) { return PyDict_Check(o); }
static inline int hinge_py_buffer_read_flags(void) { return PyBUF_C_CONTIGUOUS | PyBUF_FORMAT; }
static inline int hinge_py_buffer_write_flags(void) { return PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | PyBUF_WRITABLE; }
static inline int hinge_py_version_major(void) { return PY_MAJOR_VERSION; }
static inline int hinge_py_version_minor(void) { return PY_MINOR_VERSION; }
