// Pasting from Word or a WeChat article into a rich-text field: the editor keeps words, bold,
// italic, links and lists, but not pictures or tables. Say so where the editor pasted, with what
// to do instead, rather than let them disappear without a word; and offer to make each pasted
// table a 表格 block (its first row the headings) after the block pasted into, in the same 议程
// when it was pasted inside one.
(function () {
  "use strict";

  var MAX_CELL = 500; // the 表格 block's text cells hold this much

  function notice(editor, lines) {
    var box = editor.parentElement.querySelector("[data-paste-notice]");
    if (!box) {
      box = document.createElement("div");
      box.setAttribute("data-paste-notice", "");
      box.setAttribute("role", "status");
      box.className = "help-block help-warning";
      editor.parentElement.insertBefore(box, editor.nextSibling);
    }
    box.textContent = lines.join(" ");
    return box;
  }

  function cellText(cell) {
    return cell.textContent.replace(/\s+/g, " ").trim().slice(0, MAX_CELL);
  }

  // A pasted <table> as the 表格 block's form state: text columns headed by the first row.
  function tableState(table) {
    var rows = Array.prototype.map.call(table.rows, function (row) {
      return Array.prototype.map.call(row.cells, cellText);
    });
    var width = Math.max.apply(null, rows.map(function (cells) { return cells.length; }));
    var padded = rows.map(function (cells) {
      while (cells.length < width) {
        cells.push("");
      }
      return cells;
    });
    var caption = table.caption ? cellText(table.caption) : "";
    return {
      columns: padded[0].map(function (heading) {
        return { type: "text", heading: heading };
      }),
      rows: padded.slice(1).map(function (cells) {
        return { values: cells };
      }),
      caption: caption
    };
  }

  // The innermost stream that holds the block the editor pasted into and may hold a table (the
  // body, or an 议程's own stream), and that block's place in it. Wagtail keeps the body's stream
  // on its root element; the streams inside its blocks are reached through their children.
  function tableStreamIn(stream, editor) {
    for (var index = 0; index < stream.children.length; index += 1) {
      var child = stream.children[index];
      if (child.element && child.element.contains(editor)) {
        var inner = child.block && child.block.childBlocks;
        for (var name in inner || {}) {
          var nested = inner[name];
          if (nested && nested.children && nested.blockDef && nested.blockDef.childBlockDefsByName) {
            var deeper = tableStreamIn(nested, editor);
            if (deeper) {
              return deeper;
            }
          }
        }
        return stream.blockDef.childBlockDefsByName.table ? { stream: stream, index: index } : null;
      }
    }
    return null;
  }

  function streamAround(editor) {
    var roots = document.querySelectorAll("[id$='-root']");
    for (var i = 0; i < roots.length; i += 1) {
      var stream = roots[i].rootBlock;
      if (stream && stream.children && roots[i].contains(editor)) {
        return tableStreamIn(stream, editor);
      }
    }
    return null;
  }

  function offerTables(box, editor, tables) {
    var place = streamAround(editor);
    if (!place) {
      return;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button button-small button-secondary";
    button.setAttribute("data-paste-tables", "");
    button.textContent = "把粘贴的 " + tables.length + " 个表格加为表格块";
    button.addEventListener("click", function () {
      var again = streamAround(editor) || place;
      tables.forEach(function (table, number) {
        again.stream.insert(
          { type: "table", value: tableState(table), id: null },
          again.index + 1 + number,
          { animate: true }
        );
      });
      button.remove();
      box.textContent =
        "已在此块之后加入 " + tables.length + " 个表格块。表格的文字也已作为段落粘贴在这里，请核对后删去。";
    });
    box.appendChild(document.createTextNode(" "));
    box.appendChild(button);
  }

  document.addEventListener(
    "paste",
    function (event) {
      var editor = event.target.closest && event.target.closest(".Draftail-Editor");
      var html = event.clipboardData && event.clipboardData.getData("text/html");
      if (!editor || !html) {
        return;
      }
      var pasted = new DOMParser().parseFromString(html, "text/html");
      var pictures = pasted.querySelectorAll("img").length;
      var tables = Array.prototype.filter.call(pasted.querySelectorAll("table"), function (table) {
        return table.rows.length > 0 && !table.querySelector("table");
      });
      var lines = [];
      if (pictures) {
        lines.push(
          "粘贴的内容中有 " + pictures + " 张图片没有带入正文：请添加“图片”块，从图片库选择或上传。"
        );
      }
      if (tables.length) {
        lines.push(
          "粘贴的内容中有 " + tables.length + " 个表格，已变为文字段落：可以用下面的按钮把它们加为“表格”块，或用“导入文章”直接导入 Word 文档（表格和图片会一并导入）。"
        );
      }
      if (lines.length) {
        var box = notice(editor, lines);
        if (tables.length) {
          offerTables(box, editor, tables);
        }
      }
    },
    true
  );
})();
