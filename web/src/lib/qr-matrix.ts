import qrcode from 'qrcode-generator';

/** Light modules around the code, as the QR specification asks, so scanners find its edges. */
export const QR_QUIET_ZONE = 4;

/** A QR code as drawn: its size in modules (quiet zone included) and one SVG path of the dark ones. */
export interface QrDrawing {
  size: number;
  path: string;
}

/**
 * Encodes text as a QR code (error correction M, the smallest version that fits) and draws the
 * dark modules as one path of 1×1 squares, offset by the quiet zone. Pure, so a test can
 * compare what the page drew with what the text encodes.
 */
export function qrDrawing(text: string): QrDrawing {
  const code = qrcode(0, 'M');
  code.addData(text, 'Byte');
  code.make();
  const count = code.getModuleCount();
  const squares: string[] = [];
  for (let row = 0; row < count; row += 1)
    for (let col = 0; col < count; col += 1)
      if (code.isDark(row, col))
        squares.push(`M${col + QR_QUIET_ZONE} ${row + QR_QUIET_ZONE}h1v1h-1z`);
  return { size: count + 2 * QR_QUIET_ZONE, path: squares.join('') };
}
