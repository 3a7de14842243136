"""Writes the binary fixtures of DescentDataTests with the reference libraries.

Run with a Python that has numpy and safetensors (pip install numpy safetensors):
    python3 generate_fixtures.py
The Swift tests read these files and check the exact values written below.
"""
import struct
import numpy as np
from safetensors import TensorSpec, serialize
from safetensors.numpy import save_file

here = __file__.rsplit("/", 1)[0] if "/" in __file__ else "."

# --- safetensors written by the official library -------------------------------
weights = {
    "layers.0.weight": (np.arange(6, dtype=np.float32).reshape(2, 3) * 0.5 - 1.0),
    "layers.0.bias": np.array([0.1, -0.2], dtype=np.float32),
    "scale": np.array(3.25, dtype=np.float32),          # a scalar, shape []
    "empty": np.zeros((0, 4), dtype=np.float32),        # no elements
}
save_file(weights, f"{here}/python_weights.safetensors", metadata={"format": "pt"})  # one key: Rust orders a map randomly

# Other dtypes; BF16 has no NumPy type, so its bytes are given directly:
# 1.0 = 0x3F80, -2.5 = 0xC020, 0.15625 = 0x3E20.
bf16 = struct.pack("<3H", 0x3F80, 0xC020, 0x3E20)
arrays = {
    "f64": ("float64", [2], np.array([1.25, -1e-3], dtype=np.float64)),
    "f16": ("float16", [3], np.array([0.5, -65504.0, 6e-8], dtype=np.float16)),
    "bf16": ("bfloat16", [3], np.frombuffer(bf16, dtype=np.uint16).copy()),
    "i64": ("int64", [2], np.array([7, -3], dtype=np.int64)),
    "i32": ("int32", [1, 2], np.array([[100000, -1]], dtype=np.int32)),
    "u8": ("uint8", [2], np.array([0, 255], dtype=np.uint8)),
    "flag": ("bool", [2], np.array([True, False])),
}
specs = {name: TensorSpec(dtype=dtype, shape=shape, data_ptr=array.ctypes.data, data_len=array.nbytes)
         for name, (dtype, shape, array) in arrays.items()}
with open(f"{here}/python_mixed_dtypes.safetensors", "wb") as f:
    f.write(serialize(specs, metadata={"note": "mixed dtypes"}))

# --- NPY written by numpy.save ---------------------------------------------------
np.save(f"{here}/numpy_f4.npy", np.array([[1.5, -2.0, 3.0], [0.25, 1e-3, 7.0]], dtype=np.float32))
np.save(f"{here}/numpy_f8.npy", np.array([0.1, -1e10, 3.0], dtype=np.float64))
np.save(f"{here}/numpy_i8.npy", np.array([[1, -2], [300000, 4]], dtype=np.int64))
np.save(f"{here}/numpy_i4.npy", np.array([5, -6, 7], dtype=np.int32))
np.save(f"{here}/numpy_u1.npy", np.arange(0, 256, 51, dtype=np.uint8))   # 0 51 102 153 204 255
np.save(f"{here}/numpy_f4_big_endian.npy", np.array([1.0, -0.5], dtype=">f4"))
np.save(f"{here}/numpy_scalar.npy", np.array(2.5, dtype=np.float32))
np.save(f"{here}/numpy_fortran.npy", np.asfortranarray(np.arange(6, dtype=np.float32).reshape(2, 3)))

# --- IDX (MNIST format), written by hand as the format describes ----------------
def idx(path, type_code, fmt, shape, values):
    with open(path, "wb") as f:
        f.write(bytes([0, 0, type_code, len(shape)]))
        for d in shape:
            f.write(struct.pack(">I", d))
        f.write(struct.pack(">" + fmt * len(values), *values))

idx(f"{here}/tiny-images-idx3-ubyte", 0x08, "B", [3, 2, 2], [0, 1, 2, 3, 10, 20, 30, 40, 252, 253, 254, 255])
idx(f"{here}/tiny-labels-idx1-ubyte", 0x08, "B", [3], [7, 0, 9])
idx(f"{here}/tiny-float-idx2", 0x0D, "f", [2, 2], [1.5, -2.25, 0.0, 1e-3])
idx(f"{here}/tiny-short-idx1", 0x0B, "h", [3], [-300, 0, 32767])
