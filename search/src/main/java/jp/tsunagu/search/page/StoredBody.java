package jp.tsunagu.search.page;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.util.BytesRef;

/**
 * The stored body of a Japanese page, kept as its UTF-16 code units (little-endian bytes) rather
 * than as a UTF-8 string: every hit reads its body for the snippet, and turning 2,000 Japanese
 * characters back from UTF-8 (three bytes each) took about as long as decompressing them, where
 * UTF-16 is two bytes a character and becomes a string by a copy. Pages written before keep their
 * body as a string and are read as such, so an index with both answers the same. A surrogate
 * without its pair is stored as U+FFFD, as the UTF-8 string stored it, so no stored body holds
 * text that cannot be encoded.
 */
final class StoredBody {

  private StoredBody() {}

  /** The stored field of a Japanese page's body. */
  static StoredField field(String text) {
    byte[] bytes = new byte[text.length() * 2];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asCharBuffer().put(wellFormed(text));
    return new StoredField(PageFields.BODY, new BytesRef(bytes));
  }

  /** The text with every unpaired surrogate replaced by U+FFFD; the text itself when it has none. */
  static String wellFormed(String text) {
    char[] chars = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!Character.isSurrogate(c)) {
        continue;
      }
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
        continue;
      }
      if (chars == null) {
        chars = text.toCharArray();
      }
      chars[i] = '\uFFFD';
    }
    return chars == null ? text : new String(chars);
  }

  /** The Japanese body of a stored document, in either form; null when it has none. */
  static String of(Document doc) {
    IndexableField field = doc.getField(PageFields.BODY);
    if (field == null) {
      return null;
    }
    BytesRef bytes = field.binaryValue();
    if (bytes == null) {
      return field.stringValue();
    }
    char[] chars = new char[bytes.length / 2];
    ByteBuffer.wrap(bytes.bytes, bytes.offset, bytes.length).order(ByteOrder.LITTLE_ENDIAN).asCharBuffer().get(chars);
    return new String(chars);
  }
}
