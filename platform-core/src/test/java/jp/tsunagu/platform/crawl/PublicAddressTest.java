package jp.tsunagu.platform.crawl;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class PublicAddressTest {
  static boolean pub(String literal) throws Exception {
    return PublicAddress.isPublic(InetAddress.getByName(literal));
  }

  @Test
  void internalAddressesAreNotPublic() throws Exception {
    for (String a : new String[] {"127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "0.0.0.0",
        "100.64.0.1", "224.0.0.1", "::1", "fe80::1", "fd00::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1"}) {
      assertFalse(pub(a), a);
    }
  }

  @Test
  void internetAddressesArePublic() throws Exception {
    for (String a : new String[] {"203.104.209.6", "8.8.8.8", "2001:4860:4860::8888", "::ffff:8.8.8.8"}) {
      assertTrue(pub(a), a);
    }
  }
}
