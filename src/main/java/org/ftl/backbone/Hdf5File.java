package org.ftl.backbone;

import org.bytedeco.hdf5.Attribute;
import org.bytedeco.hdf5.DataSet;
import org.bytedeco.hdf5.DataSpace;
import org.bytedeco.hdf5.DataType;
import org.bytedeco.hdf5.Group;
import org.bytedeco.hdf5.H5File;
import org.bytedeco.hdf5.PredType;
import org.bytedeco.hdf5.StrType;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;
import org.ftl.FtlError;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.bytedeco.hdf5.global.hdf5.H5F_ACC_RDONLY;
import static org.bytedeco.hdf5.global.hdf5.H5O_TYPE_DATASET;
import static org.bytedeco.hdf5.global.hdf5.H5O_TYPE_GROUP;
import static org.bytedeco.hdf5.global.hdf5.H5T_STRING;
import static org.bytedeco.hdf5.global.hdf5.H5T_VARIABLE;
import static org.bytedeco.hdf5.global.hdf5.H5free_memory;

/**
 * Read access to the parts of a Keras HDF5 file that DL4J's {@code Hdf5Archive} does not offer: string-array
 * attributes ({@code weight_names}), datasets at paths below a group, group listings.
 *
 * <p>The HDF5 library is not thread-safe: like DL4J, every call holds {@link Hdf5Archive#LOCK_OBJECT}, and every
 * native object (group, dataset, dataspace, type, attribute) is closed explicitly. One left to the garbage
 * collector is closed on JavaCPP's deallocator thread, outside the lock, and a close that overlaps another
 * HDF5 call crashes the JVM (SIGSEGV in {@code H5CX_pop}, seen while writing test files).
 */
final class Hdf5File implements AutoCloseable {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    private final Path path;
    private final H5File file;

    private Hdf5File(Path path, H5File file) {
        this.path = path;
        this.file = file;
    }

    /** Opens an HDF5 file, refusing (naming the file and {@code expected}) anything else. */
    static Hdf5File open(Path path, String expected) {
        requireHdf5(path, expected);
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            try {
                return new Hdf5File(path, new H5File(path.toString(), H5F_ACC_RDONLY()));
            } catch (RuntimeException e) {
                throw new FtlError(path + ": cannot open as HDF5 (" + e.getMessage() + "); expected " + expected, e);
            }
        }
    }

    /**
     * Checks the HDF5 signature, which sits at byte 0 or, after a user block, at 512, 1024, 2048, …
     * Done before the native library sees the file, so a wrong file gives a clear message, not a native error.
     */
    static void requireHdf5(Path path, String expected) {
        if (!Files.isRegularFile(path)) {
            throw new FtlError(path + ": no such file; expected " + expected);
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer head = ByteBuffer.allocate(SIGNATURE.length);
            for (long at = 0; at + SIGNATURE.length <= size; at = at == 0 ? 512 : at * 2) {
                head.clear();
                while (head.hasRemaining() && ch.read(head, at + head.position()) > 0) {
                    // read fully
                }
                if (Arrays.equals(head.array(), SIGNATURE)) {
                    return;
                }
            }
        } catch (IOException e) {
            throw new FtlError(path + ": cannot read: " + e.getMessage() + "; expected " + expected, e);
        }
        throw new FtlError(path + ": not an HDF5 file; expected " + expected);
    }

    Path path() {
        return path;
    }

    Group root() {
        return file;
    }

    /**
     * The sub-group at a non-empty '/'-separated path below {@code g}, or null if there is none. The caller
     * closes it.
     */
    Group group(Group g, String relative) {
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            Group at = g;
            for (String part : relative.split("/")) {
                if (part.isEmpty()) {
                    continue;
                }
                Group next = at.nameExists(part) && at.childObjType(part) == H5O_TYPE_GROUP ? at.openGroup(part) : null;
                if (at != g) {
                    at.close();
                }
                if (next == null) {
                    return null;
                }
                at = next;
            }
            if (at == g) {
                throw new IllegalArgumentException("empty group path");
            }
            return at;
        }
    }

    /** Names of the groups (or datasets) directly in {@code g}, in the file's (alphabetical) order. */
    List<String> children(Group g, boolean groups) {
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            List<String> names = new ArrayList<>();
            long n = g.getNumObjs();
            for (long i = 0; i < n; i++) {
                String name = g.getObjnameByIdx(i).getString(StandardCharsets.UTF_8);
                int type = g.childObjType(name);
                if (type == (groups ? H5O_TYPE_GROUP : H5O_TYPE_DATASET)) {
                    names.add(name);
                }
            }
            return names;
        }
    }

    /** Paths (relative to {@code g}) of every dataset below it, depth first in file order. */
    List<String> datasetsBelow(Group g) {
        List<String> found = new ArrayList<>();
        for (String d : children(g, false)) {
            found.add(d);
        }
        for (String sub : children(g, true)) {
            Group s = group(g, sub);
            try {
                for (String d : datasetsBelow(s)) {
                    found.add(sub + "/" + d);
                }
            } finally {
                close(s);
            }
        }
        return found;
    }

    /** A dataset at a '/'-separated path below {@code g} as a float array of its own shape, or null if absent. */
    INDArray dataset(Group g, String relative) {
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            int slash = relative.lastIndexOf('/');
            Group parent = slash < 0 ? g : group(g, relative.substring(0, slash));
            String name = relative.substring(slash + 1);
            if (parent == null) {
                return null;
            }
            DataSet ds;
            try {
                if (!parent.nameExists(name) || parent.childObjType(name) != H5O_TYPE_DATASET) {
                    return null;
                }
                ds = parent.openDataSet(name);
            } finally {
                if (parent != g) {
                    parent.close();
                }
            }
            DataSpace space = ds.getSpace();
            try {
                int rank = space.getSimpleExtentNdims();
                long[] shape = new long[rank];
                space.getSimpleExtentDims(shape);
                long n = space.getSimpleExtentNpoints();
                FloatPointer buf = new FloatPointer(n);
                try {
                    ds.read(buf, PredType.NATIVE_FLOAT());
                    float[] values = new float[(int) n];
                    buf.get(values);
                    return rank == 0 ? Nd4j.scalar(values[0]) : Nd4j.create(values, shape, 'c');
                } finally {
                    buf.deallocate();
                }
            } finally {
                space.close();
                ds.close();
            }
        }
    }

    /**
     * A string or string-array attribute of {@code g} as a list: fixed-length strings as numpy's 'S' arrays
     * (what Keras writes for {@code weight_names}) and variable-length ones (h5py's str). An attribute of any
     * other type (h5py writes an empty list as a float array of length 0) reads as an empty list; a missing
     * one as null.
     */
    List<String> strings(Group g, String attribute) {
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            if (!g.attrExists(attribute)) {
                return null;
            }
            Attribute a = g.openAttribute(attribute);
            DataType type = a.getDataType();
            DataSpace space = a.getSpace();
            try {
                int n = (int) space.getSimpleExtentNpoints();
                List<String> out = new ArrayList<>(n);
                if (type._getClass() != H5T_STRING || n == 0) {
                    return out;
                }
                if (type.isVariableStr()) {
                    StrType mem = new StrType(PredType.C_S1(), H5T_VARIABLE());
                    PointerPointer<BytePointer> ptrs = new PointerPointer<>(n);
                    a.read(mem, ptrs);
                    for (int i = 0; i < n; i++) {
                        Pointer p = ptrs.get(i);
                        out.add(p == null ? "" : new BytePointer(p).getString(StandardCharsets.UTF_8));
                        H5free_memory(p);
                    }
                    mem.close();
                    ptrs.deallocate();
                } else {
                    int width = (int) type.getSize();
                    BytePointer buf = new BytePointer((long) n * width);
                    a.read(type, buf);
                    byte[] all = new byte[n * width];
                    buf.get(all);
                    buf.deallocate();
                    for (int i = 0; i < n; i++) {
                        int end = i * width;
                        while (end < (i + 1) * width && all[end] != 0) {
                            end++;
                        }
                        out.add(new String(all, i * width, end - i * width, StandardCharsets.UTF_8).trim());
                    }
                }
                return out;
            } finally {
                space.close();
                type.close();
                a.close();
            }
        }
    }

    static void close(Group g) {
        if (g != null) {
            synchronized (Hdf5Archive.LOCK_OBJECT) {
                g.close();
            }
        }
    }

    @Override
    public void close() {
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            file.close();
        }
    }
}
