package org.ftl.data.label;

import org.ftl.FtlError;
import org.ftl.data.Images;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The --roi CSV: every mistake names the CSV and its line. */
class LabelRoiTableTest {
    @TempDir
    Path dir;
    Path images;

    @BeforeEach
    void photos() {
        images = dir.resolve("images");
        Images.writePng(LabelTestImages.crackPhoto(), images.resolve("a.png")); // 40x30
    }

    private Path csv(String text) throws IOException {
        Path f = dir.resolve("roi.csv");
        Files.writeString(f, text);
        return f;
    }

    private String failure(String text) throws IOException {
        Path f = csv(text);
        FtlError e = assertThrows(FtlError.class, () -> RoiTable.read(f).checkAgainst(images));
        assertTrue(e.getMessage().startsWith(f + " line "), e.getMessage());
        return e.getMessage();
    }

    @Test
    void readsRowsAfterTheHeader() throws IOException {
        RoiTable t = RoiTable.read(csv("file,x,y,width,height\n# a comment\n\na.png, 5, 6, 10, 12\n"));
        t.checkAgainst(images);
        assertEquals(new Roi(5, 6, 10, 12), t.forImage("a.png").orElseThrow().roi());
        assertEquals(4, t.forImage("a.png").orElseThrow().line());
        assertTrue(t.forImage("b.png").isEmpty());
    }

    @Test
    void aRowNamingAMissingImageNamesItsLine() throws IOException {
        String m = failure("file,x,y,width,height\na.png,0,0,5,5\nmissing.jpg,0,0,5,5\n");
        assertTrue(m.contains("line 3") && m.contains("missing.jpg"), m);
    }

    @Test
    void aBoxOutsideItsImageNamesItsLine() throws IOException {
        String m = failure("file,x,y,width,height\na.png,30,0,11,5\n");
        assertTrue(m.contains("line 2") && m.contains("40x30"), m);
    }

    @Test
    void syntaxErrorsNameTheirLine() throws IOException {
        assertTrue(failure("a.png,0,0,5,5\n").contains("line 1"));
        assertTrue(failure("file,x,y,width,height\na.png,0,0,5\n").contains("line 2: expected 5 columns"));
        assertTrue(failure("file,x,y,width,height\na.png,0,zero,5,5\n").contains("line 2: y must be a whole number"));
        assertTrue(failure("file,x,y,width,height\na.png,0,0,0,5\n").contains("line 2: width must be at least 1"));
        assertTrue(failure("file,x,y,width,height\na.png,-1,0,5,5\n").contains("line 2: x must be at least 0"));
        assertTrue(failure("file,x,y,width,height\na.png,0,0,5,5\na.png,1,1,5,5\n").contains("line 3: a.png already has a region on line 2"));
    }
}
