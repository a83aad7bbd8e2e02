"""A tiny document written for the terminal, safety and file tests: ten tasks under 三、, so
that path 3.10 exists next to 3.1. Tasks 3.1–3.9: 市质监局 leads, 市发改委 supports;
task 3.10: 市商务局 leads, 市质监局 supports."""
from __future__ import annotations

from pathlib import Path

TASKS = ["加强产品质量监管", "推进标准化建设", "强化计量基础", "完善认证认可", "提升检验检测能力",
         "打击假冒伪劣", "推进品牌建设", "加强质量诚信", "开展质量提升行动"]


def write_plan(folder: Path, name: str = "plan.txt", city: str = "安宁市") -> Path:
    lines = [f"{city}质量提升行动方案", "", "一、指导思想", "坚持质量第一,推动高质量发展。", "",
             "二、主要目标", "到2020年,质量水平明显提升。", "", "三、重点任务"]
    lines += [f"({'一二三四五六七八九'[k]}){task}。(牵头单位:市质监局;配合单位:市发改委)" for k, task in enumerate(TASKS)]
    lines.append("(十)扩大优质商品供给。(牵头单位:市商务局;配合单位:市质监局)")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def snapshot(out: Path) -> dict[str, bytes]:
    """Every export file's bytes (the store's internal files aside)."""
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and "store" not in p.relative_to(out).parts}
