# Makes the fixtures of MaskResizeBilinearTest with OpenCV itself: 0/255 masks (thin lines, as cracks are, and
# scattered pixels) and what cv2.resize (INTER_LINEAR, the default) makes of them at map sizes, as 0/255 PNGs
# where the result is non-zero. Run from this folder: python3 make.py (needs python3-opencv; 4.6.0 made these).
import cv2
import numpy as np

rng = np.random.default_rng(17)
CASES = [((224, 224), (55, 55)), ((224, 224), (27, 27)), ((224, 224), (13, 13)), ((64, 64), (55, 55)),
         ((64, 64), (27, 27)), ((64, 64), (13, 13)), ((16, 16), (40, 40)), ((100, 100), (50, 50)),
         ((37, 53), (13, 29))]
for i, ((h, w), (mh, mw)) in enumerate(CASES):
    mask = np.zeros((h, w), np.uint8)
    for _ in range(3):
        p = rng.integers(0, [w, h], size=2)
        q = rng.integers(0, [w, h], size=2)
        cv2.line(mask, (int(p[0]), int(p[1])), (int(q[0]), int(q[1])), 255, 1)
    mask[rng.random((h, w)) < 0.01] = 255
    out = cv2.resize(mask, (mw, mh))
    cv2.imwrite("case%d-mask-%dx%d.png" % (i, w, h), mask)
    cv2.imwrite("case%d-cv2-%dx%d.png" % (i, mw, mh), np.where(out > 0, 255, 0).astype(np.uint8))
