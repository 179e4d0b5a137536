package tlv_test

import (
	"encoding/hex"
	"errors"
	"fmt"
	"os"

	"github.com/posflow/posflow/tlv"
)

// The FCI returned by SELECT 2PAY.SYS.DDF01, from the moov-io/bertlv tests
// (see testdata/README.md).
var ppseFCI, _ = hex.DecodeString("6F2F840E325041592E5359532E4444463031A51DBF0C1A61184F07A0000000041010500A4D617374657263617264870101")

func ExampleDecode() {
	tlvs, err := tlv.Decode(ppseFCI)
	if err != nil {
		panic(err)
	}
	fci := tlvs[0]
	fmt.Println(fci.Tag, len(fci.Children), "children")
	for _, c := range fci.Children {
		fmt.Println(" ", c.Tag, c.Constructed())
	}
	// Output:
	// 6F 2 children
	//   84 false
	//   A5 true
}

func ExampleFindPath() {
	aid, err := tlv.FindPath(ppseFCI, 0x6F, 0xA5, 0xBF0C, 0x61, 0x4F)
	if err != nil {
		panic(err)
	}
	fmt.Printf("AID %X at offset %d\n", aid.Value, aid.Offset)
	// Output:
	// AID A0000000041010 at offset 25
}

func ExampleFind() {
	// Field 55 of a Visa purchase (Chuckks/Iso8583Lib, see testdata/README.md).
	f55, _ := hex.DecodeString("5F2A02048482021C008407A0000000032010950580800080009A032401089C01009F02060000000900009F03060000000000009F090200839F100706010A03A4A8109F1A0204849F1E0836523635333530349F26082E078F5CEA112DAA9F2701809F3303E0B0C89F34030103029F3501229F4104000000019F530100")
	arqc, err := tlv.Find(f55, 0x9F26)
	if err != nil {
		panic(err)
	}
	fmt.Printf("ARQC %X\n", arqc.Value)
	_, err = tlv.Find(f55, 0x9F6E)
	fmt.Println(errors.Is(err, tlv.ErrNotFound))
	// Output:
	// ARQC 2E078F5CEA112DAA
	// true
}

func ExampleCursor() {
	c := tlv.NewCursor(ppseFCI)
	for c.Next() {
		fmt.Println(c.Tag(), len(c.Value()))
		inner := c.Children()
		for inner.Next() {
			fmt.Println(" ", inner.Tag(), len(inner.Value()))
		}
	}
	if err := c.Err(); err != nil {
		panic(err)
	}
	// Output:
	// 6F 47
	//   84 14
	//   A5 29
}

func ExampleEncode() {
	b, err := tlv.Encode(tlv.TLV{Tag: 0x6F, Children: []tlv.TLV{
		{Tag: 0x84, Value: []byte("1PAY.SYS.DDF01")},
		{Tag: 0xA5, Children: []tlv.TLV{{Tag: 0x88, Value: []byte{1}}}},
	}})
	if err != nil {
		panic(err)
	}
	fmt.Printf("%X\n", b)
	// Output:
	// 6F15840E315041592E5359532E4444463031A503880101
}

func ExampleDump() {
	if err := tlv.Dump(os.Stdout, ppseFCI); err != nil {
		panic(err)
	}
	// Output:
	// 6F [47]
	//   84 [14] 325041592E5359532E4444463031
	//   A5 [29]
	//     BF0C [26]
	//       61 [24]
	//         4F [7] A0000000041010
	//         50 [10] 4D617374657263617264
	//         87 [1] 01
}

func ExampleSyntaxError() {
	// 9F02 announces a 9-byte length field.
	bad, _ := hex.DecodeString("9F0289FFFFFFFFFFFFFFFFFF")
	_, err := tlv.Decode(bad)
	var se *tlv.SyntaxError
	if errors.As(err, &se) {
		fmt.Println(se.Offset, se.Tag, errors.Is(err, tlv.ErrLengthTooLarge))
	}
	fmt.Println(err)
	// Output:
	// 0 9F02 true
	// tlv: offset 0: tag 9F02: length field too large
}
