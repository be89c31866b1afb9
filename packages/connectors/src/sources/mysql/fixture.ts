// Shared table of the MySQL source tests: every mapped type, NULLs and edge values (not exported).
export const ALL_TYPES = `
  CREATE TABLE all_types (
    id int NOT NULL PRIMARY KEY,
    ti tinyint, tb tinyint(1), tu tinyint unsigned, si smallint, su smallint unsigned, mi mediumint,
    i int, iu int unsigned, bi bigint, bu bigint unsigned,
    f float, d double, n decimal(12,2), nbig decimal(65,30),
    c char(5), vc varchar(40), t text, e enum('sad','ok','happy'), st set('a','b'),
    bin binary(4), vb varbinary(10), bl blob,
    dt date, dtm datetime(6), ts timestamp(6) NULL, tm time(6), y year,
    j json, bt bit(10)
  ) CHARACTER SET utf8mb4;
  SET time_zone = '+00:00';
  INSERT INTO all_types VALUES
    (1, -128, 1, 255, -32768, 65535, -8388608, -2147483648, 4294967295, -9223372036854775808, 18446744073709551615,
     1.1, 0.1, 1234567890.12, 12345678901234567890123456789012345.123456789012345678901234567891,
     'ab', 'a "quoted", comma\\nnewline', 'ünïcödé ✓ 😀', 'happy', 'a,b',
     x'00ff0001', x'', x'00', '2024-02-29', '2020-01-01 12:34:56.123456', '2020-06-01 06:30:00.5', '-838:59:59', 2024,
     '{"a": [1, 2.50]}', b'1010'),
    (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
     NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
    (3, 127, 0, 0, 32767, 0, 8388607, 2147483647, 0, 9223372036854775807, 0,
     16777216, 1.7976931348623157e308, -0.01, -0.000000000000000000000000000001,
     '', '', '\\\\.', 'sad', '', x'', x'2c22', x'', '1000-01-01', '9999-12-31 23:59:59.999999', '1970-01-01 00:00:01',
     '838:59:59.999999', 1901, '[]', b'0'),
    (4, 0, 2, 1, 0, 1, 0, 0, 1, 0, 1, -3.5, 5e-324, 0, 0, 'x', 'NULL', '\\r\\n', 'ok', 'b', x'41', x'0a0d', x'',
     '0044-03-15', '0001-01-01 00:00:00', '2038-01-19 03:14:07.999999', '00:00:00', 0, '{"u": "é"}', b'1111111111');
`;
